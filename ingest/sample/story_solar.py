"""Rafael Souza sells solar energy systems (SolarSul Energia, Campinas region)."""

from model import Client, Media, Seller

SELLER = Seller(
    name="Rafael Souza",
    login="rafael",
    phone="+5519991234501",
    aliases=("Rafael Souza", "Rafael | SolarSul Energia"),
    segment="energia solar",
    company="SolarSul Energia",
)

MEDIA = {
    "carla_contraproposta": Media(
        kind="audio",
        text="Oi Rafael, tudo bem? Conversei com o Beto aqui em casa. Ele achou que ficou acima do que "
        "a gente queria gastar. Se você fizer por quatorze mil e quinhentos, a gente fecha.",
    ),
    "fernanda_conta": Media(
        kind="audio",
        text="Oi Rafael, então, minha conta de luz vem em torno de quatrocentos e cinquenta reais por "
        "mês, e eu queria parcelar em doze vezes no cartão. Dá pra fazer?",
    ),
    "fernanda_telhado": Media(
        kind="audio",
        text="É casa térrea. O meu telhado é de fibrocimento e tem uma caixa d'água bem no meio. "
        "Vê se isso atrapalha a instalação.",
    ),
    "fernanda_desistiu": Media(
        kind="audio",
        text="Oi Rafael, desculpa a demora pra responder. Acabei fechando com outra empresa, porque "
        "eles me deram o inversor com garantia de quinze anos. Muito obrigada pela atenção.",
    ),
    "helena_conta": Media(
        kind="scan_pdf",
        filename="Conta_Energia_Pousada_Junho.pdf",
        text="CPFL PAULISTA - CONTA DE ENERGIA ELÉTRICA\n"
        "Cliente: POUSADA RECANTO DAS FLORES - HELENA PRADO\n"
        "Endereço: Rua das Tulipas, 210 - Holambra/SP\n"
        "Referência: 05/2026   Vencimento: 10/06/2026\n"
        "Consumo do mês: 780 kWh\n"
        "Bandeira tarifária: amarela\n"
        "TOTAL A PAGAR: R$ 912,40",
    ),
    "proposta_solar": Media(
        kind="pdf",
        filename="Proposta_Solar.pdf",
        text="",
        pages=(
            "SolarSul Energia\n"
            "Proposta comercial nº 2026-118\n"
            "Cliente: Helena Prado - Pousada Recanto das Flores, Holambra/SP\n"
            "Data: 18/06/2026 - Validade: 15 dias\n"
            "Escopo: projeto, homologação na CPFL, fornecimento e instalação de sistema fotovoltaico "
            "conectado à rede.\n"
            "Garantias: módulos com 25 anos de performance, inversor com 10 anos, instalação com 1 ano.",
            "Dimensionamento e investimento\n"
            "Potência do sistema: 6,6 kWp\n"
            "Módulos: 12 módulos fotovoltaicos de 550 W\n"
            "Inversor: Growatt 6 kW monofásico\n"
            "Geração média estimada: 810 kWh/mês\n"
            "Investimento total: R$ 27.900,00\n"
            "À vista no pix: R$ 26.500,00\n"
            "Cartão de crédito: 10x de R$ 2.790,00 sem juros\n"
            "Retorno estimado do investimento: 2 anos e 7 meses",
        ),
    ),
}

CLIENTS = [
    Client(
        name="Marcos Vieira",
        phone="+5519998120001",
        platform="android",
        style="informal",
        pattern="evening",
        call="Marcos",
        outcome="open",
        trend="positive",
        notes="won a 5 kWp kit in 2025-03 (price objection, financing argument, paid cash by pix); "
        "expansion proposal open since 2026-08",
        script="""
== 2025-02-04
c: Boa noite! Vi o anúncio de vocês no Instagram. Quanto fica pra colocar energia solar numa casa?
s: Boa noite, Marcos! Aqui é o Rafael, da SolarSul Energia. Pra te passar um valor certinho preciso saber quanto vem sua conta de luz por mês. Consegue me mandar?
c: vem uns 620 reais, as vezes mais no verão
c: moro em Valinhos, casa térrea
s: Perfeito. Pra esse consumo o ideal é um kit de 5 kWp, com 9 módulos de 550 W e inversor Growatt de 5 kW.
  Vou montar a proposta e te mando amanhã.
+1d
s: Marcos, segue a proposta: kit de 5 kWp instalado por R$ 22.600,00, com homologação na CPFL inclusa. Geração estimada de 640 kWh/mês.
c: eita, tá salgado hein 😬
c: nao tenho esse dinheiro todo agora não
s: Entendo! Mas dá pra fazer pelo financiamento solar: 60x de R$ 489,00. Hoje você paga 620 de luz; com o sistema sua conta cai pra taxa mínima, uns R$ 60. Ou seja, a parcela sai menor que a conta que você já paga.
c: hmm faz sentido
c: vou ver com a patroa e te falo
~2 nego
== 2025-03-14
c: Rafael, boa noite. Pensei melhor e se eu pagar à vista no pix, tem desconto?
s: Tem sim! À vista no pix consigo fazer por R$ 21.400,00.
c: fechado então! 🤝
c: manda os dados do pix
s: Que notícia boa, Marcos! Vou te mandar o contrato e os dados. A instalação fica agendada para 08/04, uma terça.
+1d
c: pix feito, 21.400 certinho
s: Recebido! Obrigado pela confiança 🙏
== 2025-04-08 07:40
s: Bom dia Marcos! A equipe de instalação já está a caminho, chega por volta das 8h30.
c: blz, a patroa ta em casa
+8h
c: ficou show demais, parabéns pra equipe 👏
s: Obrigado, Marcos! Agora é só esperar a CPFL trocar o medidor, uns 15 dias.
~3 post
== 2025-06-12
c: Rafael olha isso: a conta desse mês veio R$ 58,37 kkkk
c: antes vinha 620
s: Que maravilha, Marcos! Posso usar seu caso (sem seu nome) pra mostrar para outros clientes?
c: pode sim, claro
~3 idle
== 2026-08-19
c: Fala Rafael, beleza? Comprei 2 ar-condicionado e a conta voltou a subir, veio 310 esse mes
c: dá pra aumentar o sistema?
s: Dá sim, Marcos! Vou calcular quantos módulos faltam e se o inversor aguenta.
+2d
s: Marcos, para compensar os dois aparelhos: ampliação com 4 módulos de 550 W e troca do inversor por um de 8 kW, total R$ 7.800,00. Em 10x no cartão sem juros fica R$ 780,00.
c: vou ver aqui, mes que vem te falo
~2 nego
""",
    ),
    Client(
        name="Carla Mendes",
        phone="+5515997340022",
        platform="ios",
        style="informal",
        pattern="lunch_evening",
        call="Carla",
        outcome="won",
        trend="positive",
        female=True,
        notes="freight objection, husband decides; counter-offer only in a voice note; won 2025-09",
        script="""
== 2025-09-02
c: Oiii Rafael! Peguei seu contato com a Aline, minha vizinha 😊 quero saber de energia solar
s: Oi Carla! Que bom que a Aline indicou 😊 Me conta: quanto vem sua conta de luz?
c: uns 380 😩
s: Pra esse consumo um kit de 3,3 kWp resolve: 6 módulos de 550 W e microinversor. Investimento de R$ 15.800,00 instalado.
c: hmm e o frete? vcs cobram?
s: Como você é de Sorocaba, tem um frete de R$ 350,00 para levar o kit e a equipe.
c: R$ 350 de frete?? achei caro demais 😬 a outra empresa falou q era grátis
s: Entendo, Carla. Fechando até sexta eu consigo isentar o frete pra você.
c: vou pensar e falar com meu marido, ele que cuida dessas coisas kkk
~2 nego
== 2025-09-25
c: [audio carla_contraproposta]
s: Oi Carla! Ouvi seu áudio. Não consigo chegar nesse valor, mas faço R$ 15.000,00 à vista no pix, com frete grátis e a homologação inclusa.
c: deixa eu mostrar pra ele
+1d
c: Rafael ele topou!! 🎉 pode mandar o contrato
s: Maravilha, Carla! Instalação agendada para 14/10, de manhã.
c: pix enviado ✅
s: Recebido! Obrigado 🙏
== 2025-10-14
s: Bom dia, Carla! Equipe chegando aí em 20 minutos.
+6h
c: ficou lindooo 😍 o Beto amou
~2 post
== 2026-03-10
c: Rafael, a geração caiu esse mês, o app mostra bem menos
s: Oi Carla! Em março teve muita chuva, é normal cair. Mas vou pedir para a equipe olhar pelo monitoramento.
+1d
s: Carla, verificamos: estava tudo normal, foi só o tempo nublado mesmo. O sistema gerou 398 kWh no mês.
c: ufa! obrigada 😅
~2 idle
""",
    ),
    Client(
        name="Sr. Paulo Andrade",
        phone="+5519993410055",
        platform="android",
        style="formal",
        pattern="weekday_morning",
        call="Sr. Paulo",
        outcome="won",
        trend="positive",
        notes="cheaper competitor in 2025 (went silent), reopened 2026-02, deadline condition, "
        "installer no-show resolved",
        script="""
== 2025-04-07
c: Bom dia, Sr. Rafael. Gostaria de um orçamento de energia solar para o meu sítio em Joaquim Egídio. Tenho uma bomba d'água e uma câmara fria, e a conta gira em torno de R$ 1.100,00.
s: Bom dia, Sr. Paulo! Com prazer. Posso agendar uma visita técnica na quinta às 9h?
c: Pode ser. O endereço é Estrada da Cachoeira, km 4.
+4d
s: Sr. Paulo, obrigado por receber a gente. Conforme a visita, o sistema indicado é de 8,25 kWp: 15 módulos de 550 W e inversor trifásico Fronius de 8 kW. Investimento: R$ 33.200,00.
c: Sr. Rafael, recebi também a proposta da Solarize, e eles me ofereceram um sistema do mesmo tamanho por R$ 29.500,00. A diferença é grande.
s: Entendo, Sr. Paulo. A diferença está nos equipamentos: o inversor Fronius tem 10 anos de garantia e assistência técnica em Campinas; o da proposta deles é de uma marca sem representante no Brasil. E os módulos têm 25 anos de garantia de performance.
s: Tenho um cliente em Sousas, o Sr. Nélson, com uma câmara fria parecida, e o sistema dele paga a parcela com folga desde 2023. Se quiser, passo o contato.
c: Agradeço. Vou pensar com calma e lhe dou um retorno.
~3 cold
== 2026-02-09
c: Bom dia, Sr. Rafael. Retomando nossa conversa do ano passado: a empresa que me atenderia fechou as portas. Ainda tem interesse em fazer o projeto?
s: Bom dia, Sr. Paulo! Claro que sim. Vou atualizar a proposta com os preços de 2026.
+1d
s: Sr. Paulo, proposta atualizada: 8,25 kWp por R$ 31.800,00, no boleto em 3 parcelas de R$ 10.600,00.
c: O valor está bom. Porém só fecho se a instalação ficar pronta antes de 30 de março, porque em abril começa a colheita e preciso da câmara fria funcionando.
s: Consigo garantir, Sr. Paulo. Reservo a equipe para 18/03 e coloco o prazo no contrato.
c: Então está fechado. Pode enviar o contrato.
== 2026-03-18 10:31
c: Sr. Rafael, são 10h30 e o instalador não apareceu. Fiquei a manhã inteira esperando. Isso não é o combinado.
s: Sr. Paulo, peço desculpas. O caminhão da equipe quebrou na Rodovia Dom Pedro. Já reagendei para sexta, 20/03, às 7h, e como compensação a primeira limpeza das placas fica por nossa conta.
c: Está bem. Espero que desta vez cumpram.
== 2026-03-20 07:02
s: Bom dia, Sr. Paulo. A equipe já está aí no sítio.
+3h
c: Sr. Rafael, a instalação foi concluída. O pessoal foi muito caprichoso. Obrigado.
~3 post
""",
    ),
    Client(
        name="Dona Helena Prado",
        phone="+5519991887766",
        platform="ios",
        style="formal",
        pattern="business",
        call="Dona Helena",
        outcome="stale",
        trend="stable",
        female=True,
        notes="sent a scanned electricity bill; proposal PDF sent 2026-06, never answered",
        script="""
== 2026-06-15
c: Boa tarde, Rafael. Quem me passou seu contato foi o Sr. Paulo Andrade. Tenho uma pousada pequena em Holambra, com seis quartos, e a conta de energia tem me assustado.
  Gostaria de entender se a energia solar compensa no meu caso, e quanto tempo leva a instalação.
s: Boa tarde, Dona Helena! Obrigado pelo contato, o Sr. Paulo é um cliente querido. Compensa sim na maioria dos casos, e a instalação leva um dia. A senhora consegue me enviar uma conta de luz recente?
c: Segue a última conta. Peço desculpas pela qualidade, foi digitalizada na impressora do escritório.
c: [doc helena_conta]
s: Recebida, obrigado! Vou dimensionar o sistema e preparar a proposta.
+3d
s: Dona Helena, segue a proposta completa. Na segunda página estão o tamanho do sistema, a geração e os valores.
s: [doc proposta_solar]
c: Obrigada, Rafael. Vou analisar com calma junto com a minha contadora e lhe retorno na próxima semana.
~4 cold
""",
    ),
    Client(
        name="Thiago Padaria Pão Dourado",
        phone="+5519994560123",
        platform="android",
        style="short",
        pattern="early_morning",
        call="Thiago",
        outcome="won",
        trend="stable",
        notes="bakery, three-phase, price objection, financed by Sicredi",
        script="""
== 2025-05-06
c: bom dia. quanto fica solar pra padaria
s: Bom dia, Thiago! Tudo bem? Me manda quanto vem a conta de luz da padaria que eu calculo.
c: 2.600 por mes
c: trifasico
s: Pra padaria o ideal é um sistema de 15 kWp, com 27 módulos de 550 W e inversor trifásico de 15 kW. Investimento de R$ 54.900,00.
c: caro
s: Thiago, hoje você paga R$ 2.600 de luz. Com o sistema a economia é de uns R$ 2.300 por mês: o investimento se paga em menos de 2 anos. E tem financiamento pelo Sicredi em 48x.
c: quanto a parcela
s: No Sicredi, 48x de R$ 1.590,00, com 3 meses de carência.
c: vou ver
~2 nego
== 2025-06-02
c: fecha no sicredi
s: Show, Thiago! Vou enviar a documentação do financiamento pra você assinar.
c: ok
== 2025-07-15
s: Thiago, a equipe chega amanhã às 6h na padaria, antes do movimento.
c: blz
+1d
c: ficou bom
s: Valeu, Thiago! Em até 20 dias a CPFL troca o medidor.
~4 post
""",
    ),
    Client(
        name="+55 19 99741-2283",
        phone="+5519997412283",
        platform="android",
        style="short",
        pattern="anytime",
        call="",
        outcome="stale",
        trend="stable",
        notes="unsaved number from an ad in Americana; price given, never answered again",
        script="""
== 2026-10-27
c: Boa tarde, vi o anúncio. Vcs instalam em Americana?
s: Boa tarde! Instalamos sim. Aqui é o Rafael, da SolarSul. Qual seu nome e quanto vem sua conta de luz?
c: 250
s: Para R$ 250 de conta, um kit de 2,2 kWp resolve. Fica em torno de R$ 11.900,00 instalado, ou 10x de R$ 1.190,00 no cartão.
c: Ok vou ver
+4d
s: Oi! Conseguiu ver? Se quiser posso agendar uma visita sem compromisso.
+6d
s: Bom dia! Ainda tem interesse no sistema solar?
""",
    ),
    Client(
        name="Fernanda Rocha",
        phone="+5519992224488",
        platform="ios",
        style="informal",
        pattern="anytime",
        call="Fernanda",
        outcome="lost",
        trend="stable",
        female=True,
        notes="audio-heavy; bill, roof and the reason she chose a competitor are only in voice notes",
        script="""
== 2026-03-02
c: Oi Rafael! Tudo bem? Quero fazer um orçamento de energia solar, vou te mandar um áudio explicando
c: [audio fernanda_conta]
s: Oi Fernanda! Tudo ótimo. Ouvi seu áudio 😊 Parcelamos sim. Você mora em casa ou sobrado?
c: [audio fernanda_telhado]
s: Entendi. Vou precisar de uma visita técnica pra ver a posição da caixa d'água. Pode ser sábado de manhã?
c: pode sim!
== 2026-03-07 09:25
s: Bom dia Fernanda, estou chegando.
+5h
s: Fernanda, obrigado por receber. A proposta: 4,4 kWp, 8 módulos de 550 W, com o arranjo dividido em duas águas do telhado para desviar da caixa d'água. Total R$ 19.900,00, ou 12x de R$ 1.658,33 no cartão.
c: obaa, vou ver aqui e te falo
~3 nego
== 2026-04-22
c: [audio fernanda_desistiu]
s: Poxa, Fernanda, uma pena. Obrigado por avisar! Se precisar de manutenção ou de algo no futuro, estou à disposição.
c: brigada rafa ❤️
""",
    ),
    Client(
        name="Roberto Almeida",
        phone="+5519997651200",
        platform="android",
        style="formal",
        pattern="evening",
        call="Roberto",
        outcome="won",
        trend="negative",
        notes="delivery delay, defective inverter replaced under warranty, generation worry still open",
        script="""
== 2025-10-06
c: Boa noite. Quero um sistema para a minha casa em Paulínia. Conta de R$ 520,00.
s: Boa noite, Roberto! Para esse consumo, 4,4 kWp com 8 módulos de 550 W e inversor Growatt de 4,2 kW. Fica R$ 19.300,00 instalado, à vista ou 10x no cartão.
c: Fechado, pode ser em 10x no cartão. Qual o prazo?
s: Obrigado, Roberto! O kit chega em até 15 dias e a instalação fica para o dia 28/10.
~1 lead
== 2025-10-27
s: Roberto, boa noite. Infelizmente a transportadora atrasou o kit. A nova previsão de instalação é 10/11.
c: Isso é sério? Eu já tinha me organizado para ficar em casa no dia 28. Vocês prometeram 15 dias.
s: Peço desculpas, Roberto. Foi um atraso da distribuidora que não esperávamos.
c: Espero que não atrase de novo.
== 2025-11-10
s: Boa noite, Roberto! Instalação concluída hoje. Agora é aguardar a troca do medidor pela CPFL.
c: Ok.
== 2026-01-20
c: Rafael, o inversor está apitando e aparece uma luz vermelha. O aplicativo mostra que não gerou nada há três dias.
s: Roberto, vou verificar agora pelo monitoramento.
+1h
s: Roberto, o inversor apresentou defeito na placa de comunicação. Já abri a garantia com a Growatt.
c: Comprei um equipamento novo e em dois meses já deu defeito. Estou pagando a parcela e a conta de luz ao mesmo tempo.
+5d
c: Alguma novidade? Já são oito dias sem gerar.
s: Roberto, a Growatt aprovou a troca. O inversor novo chega até dia 06/02.
c: Isso é um absurdo. Se não resolverem até lá vou abrir reclamação no Reclame Aqui.
== 2026-02-10
s: Roberto, o inversor novo foi instalado hoje e já está gerando. Para compensar os dias parados, vamos abater R$ 400,00 da sua próxima parcela, com estorno no cartão.
c: Ok. Vamos ver se agora funciona.
~2 idle
== 2026-09-15
c: Rafael, a geração de agosto foi menor do que a de julho. Isso é normal ou o sistema está com problema de novo?
s: Boa noite, Roberto! Agosto teve muita fumaça das queimadas, o que reduz a geração. Mas vou pedir uma vistoria para ter certeza.
c: Sinceramente estou arrependido. Já é a terceira dor de cabeça com esse sistema.
+2d
s: Roberto, a vistoria está marcada para 24/09 às 18h30. Sem custo.
c: Certo.
""",
    ),
    Client(
        name="Luciana Martins",
        phone="+5519996543210",
        platform="ios",
        style="informal",
        pattern="night",
        call="Luciana",
        outcome="stale",
        trend="stable",
        female=True,
        alias=1,
        notes="answers only at night; won in 2025-05; changed number; battery proposal unanswered",
        script="""
== 2025-05-19
c: oi rafael boa noite! a aline me passou teu contato. quero colocar placa solar na minha casa
s: Boa noite, Luciana! Quanto vem sua conta de luz?
c: uns 300 😅 moro sozinha mas trabalho de casa
s: Um kit de 3,3 kWp resolve: 6 módulos de 550 W. R$ 15.400,00 instalado. Consigo 5% de desconto à vista.
c: a vista quanto fica?
s: R$ 14.630,00 no pix.
c: fechou! amei
s: Oba! Instalação em 10/06, pode ser?
c: pode sim
== 2025-06-10
s: Luciana, instalação concluída! Qualquer coisa me chama.
c: aaa obrigadaaa ☀️☀️
~3 post
== 2026-04-02
sys: number_changed
~2 idle
== 2026-09-14
c: rafa boa noite, to pensando em colocar bateria, aqui acaba a luz toda vez que chove
s: Boa noite, Luciana! Dá pra fazer com um inversor híbrido e uma bateria de lítio de 5 kWh. Fica em torno de R$ 12.000,00 instalado e mantém geladeira, internet e iluminação por umas 8 horas.
c: hmm vou pensar, é bastante coisa
~3 cold
""",
    ),
    Client(
        name="Eduardo Farias",
        phone="+5519993337788",
        platform="ios",
        style="formal",
        pattern="business",
        call="Eduardo",
        outcome="stale",
        trend="stable",
        notes="B2B warehouse; partner objection; postponed in 2025-10; updated proposal 2026-06 unanswered",
        script="""
== 2025-07-08
c: Bom dia, Rafael. Sou sócio da Farias Distribuidora, em Hortolândia. Temos um galpão com conta média de R$ 6.800,00 e gostaríamos de avaliar um sistema fotovoltaico.
s: Bom dia, Eduardo! Com prazer. Pelo consumo, algo em torno de 40 kWp. Posso visitar o galpão?
c: Pode ser na quarta, às 14h.
+7d
s: Eduardo, segue o resumo: sistema de 41,25 kWp, 75 módulos de 550 W, dois inversores de 20 kW. Investimento de R$ 138.000,00, retorno estimado em 3 anos e 2 meses.
c: Obrigado, Rafael. Preciso falar com meu sócio antes de qualquer decisão, porque o investimento é alto.
s: Claro. Se ajudar, posso apresentar para vocês dois juntos, por videochamada.
c: Vou consultar a agenda dele.
~3 nego
== 2025-10-21
c: Rafael, bom dia. Conversei com meu sócio e decidimos adiar o investimento para 2026, por causa do caixa da empresa. Agradeço a atenção.
s: Entendo perfeitamente, Eduardo. Quando quiserem retomar, atualizo a proposta.
== 2026-06-03
s: Bom dia, Eduardo! Como combinamos no ano passado, voltando a falar do projeto do galpão. Temos linha do BNDES com carência de 6 meses. Quer que eu atualize a proposta?
c: Bom dia, Rafael. Pode atualizar, por favor.
+2d
s: Eduardo, proposta atualizada: 41,25 kWp por R$ 131.500,00. Pelo BNDES, 60x com carência de 6 meses.
c: Recebido. Vou levar para a reunião com meu sócio.
~4 cold
""",
    ),
    Client(
        name="Aline Costa",
        phone="+5515998761234",
        platform="android",
        style="informal",
        pattern="weekend",
        call="Aline",
        outcome="won",
        trend="positive",
        female=True,
        notes="'vou pensar' overcome with a neighbour's case; later bought panel cleaning",
        script="""
== 2025-01-11
c: oii, quero saber quanto custa placa solar kkk minha conta ta vindo um absurdo
s: Oi Aline! Aqui é o Rafael, da SolarSul 😊 Quanto está vindo?
c: 450 reais kkkk com o ar ligado direto
s: Um kit de 4,4 kWp resolve bem: 8 módulos de 550 W. Fica R$ 19.800,00 instalado.
c: nossa, vou pensar kkk
s: Aline, uma cliente no seu condomínio, o Residencial Vale Verde, instalou o mesmo kit há um ano e a conta dela caiu de R$ 470 para R$ 55. Se quiser, te mostro a conta dela (com autorização).
c: serio?? quero ver sim
s: Ela autorizou! Economia de 88% na conta. E em 10x no cartão fica R$ 1.980,00 por mês.
c: ta bom me convenceu kkkk vamo fazer
  pode ser no cartão msm
== 2025-02-15
s: Aline, instalação concluída! Agora é só esperar a distribuidora trocar o medidor.
c: eba!!! 🎉🎉
~3 post
== 2026-01-17
c: rafa vcs fazem limpeza das placas? tá cheio de folha
s: Fazemos sim! A limpeza fica R$ 250,00. Posso mandar a equipe sábado que vem?
c: pode! kkk
~2 idle
""",
    ),
]

PURCHASES = [
    ("Marcos Vieira", "Kit fotovoltaico 5 kWp instalado", 1, "21400.00", "2025-03-15"),
    ("Carla Mendes", "Kit fotovoltaico 3,3 kWp instalado", 1, "15000.00", "2025-09-26"),
    ("Sr. Paulo Andrade", "Sistema fotovoltaico 8,25 kWp trifásico", 1, "31800.00", "2026-02-10"),
    (
        "Thiago Padaria Pão Dourado",
        "Sistema fotovoltaico 15 kWp trifásico",
        1,
        "54900.00",
        "2025-06-02",
    ),
    ("Roberto Almeida", "Kit fotovoltaico 4,4 kWp instalado", 1, "19300.00", "2025-10-06"),
    ("Luciana Martins", "Kit fotovoltaico 3,3 kWp instalado", 1, "14630.00", "2025-05-19"),
    ("Aline Costa", "Kit fotovoltaico 4,4 kWp instalado", 1, "19800.00", "2025-01-11"),
    ("Aline Costa", "Limpeza de placas solares", 1, "250.00", "2026-01-24"),
]
